"""CareQuartier intake: the one contact point where a person (or a relative) asks for help.

It keeps the case, the client, their contacts and needs, publishes `CaseOpened` and
`RecipientsRegistered`, and follows what scheduling and volunteering report about each need.
"""

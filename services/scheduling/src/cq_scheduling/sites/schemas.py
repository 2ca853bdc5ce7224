"""The inventory API's response models."""

import uuid

from pydantic import AwareDatetime, BaseModel

from cq_scheduling.sites.models import CounsellingSlot, Resource, Staff


class ResourcePublic(BaseModel):
    resource_id: uuid.UUID
    site: str
    type: str
    name: str
    capacity: int

    @classmethod
    def of(cls, resource: Resource) -> "ResourcePublic":
        return cls(
            resource_id=resource.id,
            site=resource.site,
            type=resource.type,
            name=resource.name,
            capacity=resource.capacity,
        )


class StaffPublic(BaseModel):
    staff_id: uuid.UUID
    site: str
    name: str
    role: str
    skills: list[str]
    languages: list[str]

    @classmethod
    def of(cls, person: Staff) -> "StaffPublic":
        return cls(
            staff_id=person.id,
            site=person.site,
            name=person.name,
            role=person.role,
            skills=person.skills,
            languages=person.languages,
        )


class SlotPublic(BaseModel):
    slot_id: uuid.UUID
    staff_id: uuid.UUID
    staff_name: str
    languages: list[str]
    start: AwareDatetime
    end: AwareDatetime
    location: str

    @classmethod
    def of(cls, slot: CounsellingSlot, person: Staff) -> "SlotPublic":
        return cls(
            slot_id=slot.id,
            staff_id=person.id,
            staff_name=person.name,
            languages=person.languages,
            start=slot.starts_at,
            end=slot.ends_at,
            location=slot.location,
        )

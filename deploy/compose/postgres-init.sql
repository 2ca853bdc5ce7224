-- One database per service (a service never reads another's tables).
CREATE DATABASE intake;
CREATE DATABASE scheduling;
CREATE DATABASE volunteering;
CREATE DATABASE notifications;

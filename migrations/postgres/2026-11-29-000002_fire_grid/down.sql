DROP TABLE notifications;
DROP TABLE hazard_events;
DROP TABLE hazards;
DROP TABLE inspections;
DROP TABLE checklist_templates;
DROP TABLE premise_history;
DROP TABLE premises;

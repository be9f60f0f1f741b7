-- Shift, night or continuous-cycle work asked by the posting
-- (Attributes.Shifts, extractor nlp-1.3.0 on): a condition of the job,
-- no longer stored as the ESCO skill "work in shifts" in vacancy_skills.
ALTER TABLE vacancies ADD COLUMN shifts UInt8 DEFAULT 0 AFTER forklift;

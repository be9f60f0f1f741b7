-- Supply side of skill gaps: pseudonymised job-seeker profiles (no names,
-- no codice fiscale: the id is the employment centre's opaque code) and the
-- ESCO skills nlp found in their free-text skills. Keyed by the profile id:
-- importing a newer export replaces the profile, re-importing the same one
-- changes nothing.

CREATE TABLE IF NOT EXISTS job_seekers (
    seeker_id         String,
    municipality_code String,
    municipality_name String,
    province_code     String,
    district          String,
    isco              String,
    isco_group        String,
    education         String,
    education_level   UInt8,
    skills_text       String,
    registered_at     Date,
    language          String,
    taxonomy_version  String,
    extractor_version String,
    source            String,
    file              String,
    row               UInt32,
    version           UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY seeker_id;

CREATE TABLE IF NOT EXISTS job_seeker_skills (
    seeker_id     String,
    skill_uri     String,
    skill_label   String,
    skill_type    String,
    matched_text  String,
    start_offset  UInt32,
    end_offset    UInt32,
    negated       UInt8,
    score         Float32,
    district      String,
    version       UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (seeker_id, skill_uri, start_offset);

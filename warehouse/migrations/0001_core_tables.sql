-- Core tables. Every table is a ReplacingMergeTree on its natural key with a
-- version column, so re-inserting a record (a replay after a crash, a
-- re-import of the same file) never adds rows once merged, and queries that
-- read with FINAL or argMax never double-count.

CREATE TABLE IF NOT EXISTS vacancies (
    vacancy_id        String,
    source            String,
    url               String,
    title             String,
    description       String,
    firm_name         String,
    firm_id           String,
    municipality_code String,
    municipality_name String,
    province_code     String,
    district          String,
    ateco             String,
    date_posted       Date,
    valid_through     Date,
    openings          UInt32,
    employment_type   String,
    contract          Array(String),
    language          String,
    isco              String,
    isco_group        String,
    occupation_uri    String,
    occupation_label  String,
    occupation_score  Float32,
    eqf               UInt8,
    experience_years  Float32,
    driving_licences  Array(String),
    forklift          UInt8,
    languages         Array(String),
    certificates      Array(String),
    taxonomy_version  String,
    extractor_version String,
    fetched_at        DateTime,
    content_hash      String,
    version           UInt64,
    ingested_at       DateTime DEFAULT now()
) ENGINE = ReplacingMergeTree(version)
ORDER BY vacancy_id;

CREATE TABLE IF NOT EXISTS vacancy_skills (
    vacancy_id    String,
    skill_uri     String,
    skill_label   String,
    skill_type    String,
    matched_text  String,
    start_offset  UInt32,
    end_offset    UInt32,
    required      UInt8,
    preferred     UInt8,
    negated       UInt8,
    ambiguous     UInt8,
    score         Float32,
    district      String,
    date_posted   Date,
    openings      UInt32,
    version       UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (vacancy_id, skill_uri, start_offset);

CREATE TABLE IF NOT EXISTS firms (
    firm_id           String,
    name              String,
    vat               String,
    fiscal_code       String,
    ateco             String,
    municipality_code String,
    municipality_name String,
    province_code     String,
    district          String,
    source            String,
    version           UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY firm_id;

CREATE TABLE IF NOT EXISTS contacts (
    contact_id   String,
    firm_id      String,
    campaign     String,
    contact_date Date,
    channel      String,
    outcome      String,
    district     String,
    source       String,
    file         String,
    row          UInt32,
    version      UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY contact_id;

CREATE TABLE IF NOT EXISTS hiring_needs (
    need_id           String,
    firm_id           String,
    contact_id        String,
    campaign          String,
    declared_at       Date,
    occupation_text   String,
    hires             UInt32,
    horizon           String,
    contract          String,
    skills_text       String,
    difficulty        UInt8,
    difficulty_reason String,
    district          String,
    municipality_code String,
    ateco             String,
    language          String,
    isco              String,
    isco_group        String,
    occupation_uri    String,
    occupation_label  String,
    occupation_score  Float32,
    taxonomy_version  String,
    extractor_version String,
    source            String,
    file              String,
    row               UInt32,
    version           UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY need_id;

CREATE TABLE IF NOT EXISTS hiring_need_skills (
    need_id       String,
    skill_uri     String,
    skill_label   String,
    skill_type    String,
    matched_text  String,
    start_offset  UInt32,
    end_offset    UInt32,
    required      UInt8,
    preferred     UInt8,
    negated       UInt8,
    ambiguous     UInt8,
    score         Float32,
    district      String,
    declared_at   Date,
    hires         UInt32,
    version       UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (need_id, skill_uri, start_offset);

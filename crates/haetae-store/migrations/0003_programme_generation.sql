-- The programme's generation: one counter, bumped in the same transaction as every write to the records a key
-- lookup joins (tiers, organisations and their vetting and limits, members, API keys). A gateway caches key
-- lookups tagged with the generation they were read at and reads this one row on every request, so a change
-- committed by any process or replica defeats every cached lookup on the next request. Portable SQL as in 0001.

CREATE TABLE programme_generation (
    id BIGINT PRIMARY KEY,
    generation BIGINT NOT NULL
);
INSERT INTO programme_generation (id, generation) VALUES (1, 0);

-- Per-day sums of usage_daily that the console's all-programme usage page reads instead of the rows themselves
-- (issue 17: with 100,000 keys a 30-day range is tens of thousands of rows, scanned once per grouping;
-- bench/console/RESULTS.md). `add_usage` keeps both in step with usage_daily in the same transaction; a row here
-- is the sum of the usage_daily rows with its day and organisation (or its day, model and use-case).
-- `Store::rebuild_usage_rollups` recomputes both with the statements below.
CREATE TABLE usage_org_daily (
    day TEXT NOT NULL,
    org_id TEXT NOT NULL,
    requests BIGINT NOT NULL,
    prompt_tokens BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    PRIMARY KEY (day, org_id)
);

CREATE TABLE usage_mix_daily (
    day TEXT NOT NULL,
    model TEXT NOT NULL,
    use_case TEXT NOT NULL,
    requests BIGINT NOT NULL,
    prompt_tokens BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    PRIMARY KEY (day, model, use_case)
);

INSERT INTO usage_org_daily (day, org_id, requests, prompt_tokens, completion_tokens)
SELECT day, org_id, SUM(requests), SUM(prompt_tokens), SUM(completion_tokens)
FROM usage_daily GROUP BY day, org_id;

INSERT INTO usage_mix_daily (day, model, use_case, requests, prompt_tokens, completion_tokens)
SELECT day, model, use_case, SUM(requests), SUM(prompt_tokens), SUM(completion_tokens)
FROM usage_daily GROUP BY day, model, use_case;

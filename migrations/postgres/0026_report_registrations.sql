-- Report requests (issue 21), continued (PostgreSQL): a request may be a registration (each
-- unit submits once) or the self-assessment against a registration (same items and
-- units); its targets may be every unit of a kind further down.
-- 'report', 'registration' or 'assessment'
ALTER TABLE report_requests ADD COLUMN mode TEXT NOT NULL DEFAULT 'report';
-- the registration a self-assessment is measured against
ALTER TABLE report_requests ADD COLUMN assesses_request_id BIGINT REFERENCES report_requests(id);
-- the unit kind asked, when the targets are every unit of a kind
ALTER TABLE report_requests ADD COLUMN target_kind TEXT;
-- one self-assessment per registration
CREATE UNIQUE INDEX report_requests_assesses ON report_requests(assesses_request_id)
    WHERE assesses_request_id IS NOT NULL;

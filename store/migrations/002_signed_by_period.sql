-- A workbook with one sheet per month carries a signing date per month: the completeness grid needs each.
ALTER TABLE uploads ADD COLUMN signed_by_period MAP(VARCHAR, DATE);

"""What the hub's use looks like: the statistics pages and their CSVs, an organisation's
yearly report, the usage API, and the aggregation command that also refreshes the
figures shown on each resource. Reads the library's models for labels and breakdowns."""

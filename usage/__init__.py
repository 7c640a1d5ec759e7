"""Use of the hub counted by the COUNTER rules: events recorded by the apps' views, with
no personal data, and their daily aggregation. Knows no app: items are a kind and an id."""

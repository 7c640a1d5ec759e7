"""What every app shares and that knows no app: XML-safe text, outage answers, query
strings, the JSON API's contract and OpenAPI pieces, forgiving filter fields, the garbage
collector's settling and precise JSON dumps. Nothing here imports a project app."""

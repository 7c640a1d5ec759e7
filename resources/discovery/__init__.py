"""How machines and readers find and reuse the library: OAI-PMH, Atom feeds, sitemaps,
citations (BibTeX, RIS, a formatted reference), metadata embedded in pages, records as
plain rows for harvesters, and the JSON API with its OpenAPI part."""

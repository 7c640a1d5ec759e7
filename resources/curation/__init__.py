"""The work of partners and curators: the review workflow's services, who may do what
(roles), and bulk import and export in the library's CSV layout."""

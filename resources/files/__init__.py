"""Files of the library: what may be uploaded (types checked by content, containers
inspected), the text extracted from them for search, and ranged downloads."""

"""Views of the analysed store (article view, store summary, story dossier) and their renderers."""

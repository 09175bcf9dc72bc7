"""The published schema, written out here rather than imported from atlascli: the tests pin the
contract (column names and order, the ten fields), so a change in the code cannot move it unseen."""

COLUMNS = [
    "stadt",
    "bundesland",
    "einwohner",
    "flaeche_km2",
    "organisation",
    "strategie",
    "handlungsfelder",
    "netzwerke",
    "projektbeispiele",
    "foerderprogramme",
    "links",
]
FIELDS = [
    "Bildung",
    "Datenplattform",
    "Energie & Umwelt",
    "Gesellschaft",
    "Gesundheit",
    "Handel",
    "IT-Infrastruktur",
    "Mobilität",
    "Sicherheit",
    "Verwaltung",
]

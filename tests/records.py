"""Small records for tests: a City with every field but the ones a test cares about left empty."""

from atlascli.model import City


def make_city(stadt: str, bundesland: str = "Nirgendwo", **fields: object) -> City:
    values: dict[str, object] = {
        "stadt": stadt,
        "bundesland": bundesland,
        "einwohner": 1000,
        "flaeche_km2": 10,
        "organisation": "",
        "strategie": "",
        "handlungsfelder": (),
        "netzwerke": (),
        "projektbeispiele": (),
        "foerderprogramme": (),
        "links": (),
    }
    values.update(fields)
    return City(**values)  # type: ignore[arg-type]  # the fields' types are the test's to get right

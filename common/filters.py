"""What a page's filters kept in the address share (calendar_app/filters.py is the model): a frozen dataclass of the
query string's values that writes itself back into the links that must keep it."""

from dataclasses import fields
from urllib.parse import urlencode


class AddressFilters:
    """Mixed into a frozen dataclass of filter values (an empty value: no filter)."""

    @property
    def query(self) -> str:
        """The filters as a query string ("network=x&status=scheduled"), empty ones left out."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return urlencode({name: value for name, value in values.items() if value})

    def __bool__(self) -> bool:
        return bool(self.query)

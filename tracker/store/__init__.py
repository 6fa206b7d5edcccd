"""The SQLite file: connection, migrations, queries returning domain objects, backups.

No Qt here. Each public write function runs in one transaction of its own.
"""

from tracker.store.database import Store, open_store
from tracker.store.errors import (
    DatabaseBusyError,
    DatabaseLockedError,
    NewerSchemaError,
    NotADatabaseError,
    ReadOnlyError,
    StoreError,
)

__all__ = [
    "DatabaseBusyError",
    "DatabaseLockedError",
    "NewerSchemaError",
    "NotADatabaseError",
    "ReadOnlyError",
    "Store",
    "StoreError",
    "open_store",
]

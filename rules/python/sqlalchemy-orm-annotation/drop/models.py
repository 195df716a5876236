from datetime import datetime
from typing import Optional

import sqlalchemy.orm as so

from app import db


class User(db.Model):
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    about_me: so.Mapped[Optional[str]]
    last_message_read_time: so.Mapped[Optional[datetime]]


class Message(db.Model):
    last_message_read_time: so.Mapped[Optional[datetime]]

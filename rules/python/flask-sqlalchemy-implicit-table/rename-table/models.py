from app import db


class UserEvent(db.Model):
    id = db.Column(db.Integer, primary_key=True)


class Event(db.Model):
    __tablename__ = "user_event_archive"
    id = db.Column(db.Integer, primary_key=True)


class UserEventMixin:
    id = db.Column(db.Integer, primary_key=True)

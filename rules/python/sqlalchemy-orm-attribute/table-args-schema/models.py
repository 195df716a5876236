from sqlalchemy import Column, Integer, String, UniqueConstraint
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class AnalyticsUser(Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("id"), {"schema": "analytics"})
    id = Column(Integer, primary_key=True)
    user_name = Column(String)


class StagingUser(Base):
    __tablename__ = "users"
    __table_args__ = {"schema": "staging"}
    id = Column(Integer, primary_key=True)
    user_name = Column(String)


class DefaultUser(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    user_name = Column(String)

from sqlalchemy import Column, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    name = Column("user_name", String(50))
    alias: Mapped[str] = mapped_column("user_name")


class Order(Base):
    __tablename__ = "orders"
    name = Column("user_name", String(50))

from sqlalchemy import Column, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    user_name = Column(String(50), nullable=False)


class Account(Base):
    __tablename__ = "users"
    user_name: Mapped[str] = mapped_column(String(50))


class Keyed(Base):
    __tablename__ = "users"
    user_name = Column(String, key="user_name")


class Order(Base):
    __tablename__ = "orders"
    user_name = Column(String(50))

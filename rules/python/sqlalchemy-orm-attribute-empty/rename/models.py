from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    user_name: Mapped[str] = mapped_column()


class Order(Base):
    __tablename__ = "orders"
    user_name: Mapped[str] = mapped_column()

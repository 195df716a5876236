from sqlalchemy import Column, Integer, MetaData, String, Table

metadata = MetaData()
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_name", String(50)),
)
orders = Table("orders", metadata, Column("user_name", String(50)))

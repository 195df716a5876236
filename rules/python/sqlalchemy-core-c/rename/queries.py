from sqlalchemy import Column, MetaData, String, Table, select

metadata = MetaData()
users = Table("users", metadata, Column("user_name", String))
orders = Table("orders", metadata, Column("user_name", String))


def names(conn):
    stmt = select(users.c.user_name).where(users.c.user_name != None)
    other = select(orders.c.user_name)
    return conn.execute(stmt), conn.execute(other)

from sqlalchemy.types import Integer, String


def save(frame, engine):
    frame.to_sql("users", engine, if_exists="append", dtype={"user_name": String(50), "age": Integer()})
    frame.to_sql("orders", engine, dtype={"user_name": String(50)})

import pandas as pd


def export(conn):
    frame = pd.read_sql_table("users", conn)
    frame["age"] = frame["age"].astype("int32")
    frame["id"] = frame["id"].astype("int32")
    ratio = frame["age"].astype("float32")
    orders = pd.read_sql_table("orders", conn)
    orders["age"] = orders["age"].astype("int32")
    return frame, ratio, orders

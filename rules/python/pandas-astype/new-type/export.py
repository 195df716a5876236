import pandas as pd


def export(conn):
    # Casts to a dtype of the new type (as ripple's retype writes it) hold every value.
    frame = pd.read_sql("SELECT id, user_name, age FROM users", conn)
    frame["age"] = frame["age"].astype("int64")
    frame["age"] = frame["age"].astype("Int64")
    frame["age"] = frame["age"].astype("float64")
    return frame

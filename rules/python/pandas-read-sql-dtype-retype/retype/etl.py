import pandas as pd


def ages(con):
    return pd.read_sql("SELECT id, age FROM users", con, dtype={"age": "int32", "id": "int32"})


def deliberate(con):
    return pd.read_sql_query("SELECT age FROM users", con, dtype={"age": "float64"})


def other_table(con):
    return pd.read_sql("SELECT age FROM pets", con, dtype={"age": "int32"})


def a_table_name(con):
    return pd.read_sql("users", con, dtype={"age": "int32"})

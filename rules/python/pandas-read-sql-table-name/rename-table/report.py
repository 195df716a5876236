import pandas as pd

frame = pd.read_sql_table("users", engine)
dated = pd.read_sql_table("users", engine, parse_dates=["created_at"], index_col="id")
staged = pd.read_sql_table("users", engine, schema="public")
archive = pd.read_sql_table("users_archive", engine)

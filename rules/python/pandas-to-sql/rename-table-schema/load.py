import pandas as pd


def load(df, engine, schema):
    df.to_sql("dim_orders", engine, schema="staging", if_exists="replace", index=False)
    df.to_sql("dim_orders", engine, schema="dwh", if_exists="append", index=False)
    df.to_sql("dim_orders", engine, schema=schema, if_exists="append", index=False)
    return pd.read_sql_table("dim_orders", engine, schema="staging")

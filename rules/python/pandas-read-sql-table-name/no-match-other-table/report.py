import pandas as pd

orders = pd.read_sql_table("orders", engine)
history = pd.read_sql_table("users_history", engine)
label = frame.read_sql_table_label("users")

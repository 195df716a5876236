from pyspark.sql import functions as F


def job(spark):
    users = spark.table("users")
    cast = users.select(F.col("age").cast("int"), F.col("id").cast("int"), users["age"].cast("int"))
    text = users.select(F.col("age").cast("string"))
    orders = spark.table("orders").select(F.col("age").cast("int"))
    return cast, text, orders

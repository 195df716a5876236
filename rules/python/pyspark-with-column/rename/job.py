from pyspark.sql import functions as F


def job(spark):
    users = spark.table("users")
    upper = users.withColumn("user_name", F.upper(F.col("user_name")))
    orders = spark.table("orders").withColumn("user_name", F.lit("x"))
    return upper, orders

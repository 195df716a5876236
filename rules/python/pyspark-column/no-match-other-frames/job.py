from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()


def orders_job(frame):
    orders = spark.table("orders")
    a = orders.select("user_name")
    b = frame.select("user_name")
    joined = spark.table("users").join(orders, "id")
    c = joined.select("user_name")
    d = {"user_name": 1}["user_name"]
    df = spark.table("users")
    df = df.union(orders)
    e = df.select("user_name")
    print("select user_name")
    return a, b, c, d, e

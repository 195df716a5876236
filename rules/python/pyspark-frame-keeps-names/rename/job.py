from pyspark.sql import SparkSession, functions as F

spark = SparkSession.builder.getOrCreate()


def daily():
    users = spark.table("users")
    active = users.filter(users.active).select("id", "user_name")
    by_name = active.groupBy("user_name").count().orderBy("user_name")
    renamed = users.withColumnRenamed("user_name", "name")
    upper = users.withColumn("user_name", F.upper(users["user_name"]))
    picked = spark.read.table("users").select(["id", "user_name"])
    return by_name, renamed, upper, picked, users.user_name


def not_a_frame(sa):
    # SQLAlchemy's lightweight table() construct is no DataFrame.
    return sa.table("users", sa.column("user_name"))

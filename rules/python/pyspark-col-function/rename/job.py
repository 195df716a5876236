from pyspark.sql import functions as F
from pyspark.sql.functions import col


def job(spark, other):
    users = spark.table("analytics.users")
    named = users.filter(F.col("user_name").isNotNull()).select(col("user_name"), F.col("id"))
    theirs = other.filter(F.col("user_name") > "a")
    loose = F.col("user_name")
    orders = spark.table("orders").where(col("user_name") == "x")
    return named, theirs, loose, orders


def totals(spark):
    users = spark.table("users")
    return users.groupBy("id").agg(F.max("user_name"), F.countDistinct("user_name")).orderBy(F.desc("user_name"))

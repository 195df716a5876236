from pyspark.sql import functions as F


def job(spark):
    # A cast to the Spark type of the new type holds every value; a narrower one does not.
    users = spark.table("users")
    return users.select(F.col("age").cast("bigint"), F.col("age").cast("smallint"))

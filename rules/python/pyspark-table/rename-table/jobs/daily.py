from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()

users = spark.table("users")
qualified = spark.read.table('analytics.users')
users.write.mode("overwrite").saveAsTable("analytics.users")
archive = spark.table("users_archive")
print("users loaded")
lookup = {"users": 1}.get("users")

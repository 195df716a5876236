def job(spark):
    users = spark.table("users")
    return users.drop("user_name").select("id", "user_name")

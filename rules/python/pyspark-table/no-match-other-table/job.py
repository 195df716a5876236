import logging

log = logging.getLogger(__name__)
frame = spark.table("orders_v2")
log.info("orders loaded")
cache.table("orders")

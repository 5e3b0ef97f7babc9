"""Text stages: normalize pages (`normalize`), cut them into sentences (`segment`)."""

#!/usr/bin/env python3
"""The reference: s3transfer.processpool.ProcessPoolDownloader with its defaults, all objects
submitted at once, then shutdown (waits for all)."""
import botocore.config
from s3transfer.processpool import ProcessPoolDownloader
from common import args, warm

endpoint, objs = args()
client_kwargs = {
    "endpoint_url": endpoint,
    "region_name": "us-east-1",
    "config": botocore.config.Config(s3={"addressing_style": "path"}),
}
with ProcessPoolDownloader(client_kwargs=client_kwargs) as downloader:
    def batch():
        futures = [downloader.download_file(b, k, dest) for b, k, _, dest in objs]
        for f in futures:
            f.result()
    warm(batch, objs)

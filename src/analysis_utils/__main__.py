import gc
import sys

from .cli import main

status = main()
# The command is done (pages published, kernels stopped, files closed): let the operating system
# take back what it loaded rather than collect it object by object at exit, which took a full run
# about 0.6 s after its last line.
gc.freeze()
sys.exit(status)

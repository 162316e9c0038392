# Regenerates the small array files of this folder (numpy 1.24): /usr/bin/python3 make_files.py
import numpy as np

x = (np.arange(15, dtype=np.float64).reshape(5, 3) / 4.0) - 1.0
np.save("x_f8.npy", x)
np.save("x_f4_images.npy", (np.arange(20, dtype=np.float32).reshape(5, 2, 2) / 19.0))
np.save("y_i8.npy", np.array([0, 2, 1, 2, 0], dtype=np.int64))
np.save("y_u1_column.npy", np.array([[0], [2], [1], [2], [0]], dtype=np.uint8))
np.save("x_fortran.npy", np.asfortranarray(x))
np.savez("xy.npz", x=x, y=np.array([0, 2, 1, 2, 0], dtype=np.int32))
np.savez_compressed("xy_compressed.npz", x=x, y=np.array([0, 2, 1, 2, 0], dtype=np.int32))

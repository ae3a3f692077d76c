# The devices of the VM that tools/vm/run starts, and nothing else: QEMU is configured with
# --without-default-devices --with-devices-x86_64=iaa-vm, which reads this file as
# configs/devices/x86_64-softmmu/iaa-vm.mak (tools/qemu/build copies it there). Without default
# devices, Kconfig defaults and implies are off: every device the VM names is listed here, and
# what the machine itself needs comes in through Kconfig's selects. There is no VGA and no
# parallel port: tools/vm/run passes -vga none and -parallel none.

# -M q35 (selects the PC machine: the ISA serial ports of -serial, the RTC, ACPI, AHCI, ...)
CONFIG_Q35=y
# the pc machine (i440fx), which the device's qtest boots (tools/qemu/tests: qtest_pc_boot)
CONFIG_I440FX=y
# -device pxb-pcie and -device pcie-root-port (the per-node expander bridges, --nodes N)
CONFIG_PXB=y
# (pxb-pcie's code calls CXL's register helpers, CXL's host code the CXL memory device's, and
# 7.2's Kconfig selects neither)
CONFIG_CXL=y
CONFIG_CXL_MEM_DEVICE=y
CONFIG_PCIE_PORT=y
# -device virtio-blk-pci (the swap disk)
CONFIG_VIRTIO_PCI=y
CONFIG_VIRTIO_BLK=y
# -device isa-debug-exit (the guest's verdict)
CONFIG_ISA_DEBUG=y
# -device intel-iaa (tools/qemu/hw/iaa)
CONFIG_INTEL_IAA=y

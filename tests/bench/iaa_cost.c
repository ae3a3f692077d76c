// SPDX-License-Identifier: GPL-2.0
/*
 * iaa_cost - what the kernel primitives a request of deflate-iaa goes through cost, under
 * -icount (guest ns = guest instructions): the part of a driver's overhead that no driver
 * built on the DMA API and idxd can remove.
 *
 *   insmod iaa_cost.ko [loops=2000]
 *
 * Each primitive runs @loops times between two clock readings, on the PCI function of the
 * first IAA device (8086:0cfe) where it takes a device; the empty loop's cost is taken off.
 * The memset and memcpy rows show what TCG makes of the string instructions (each
 * iteration of a rep prefix is an instruction): a copy of a page costs what it moves.
 * Results, one line each, in /sys/kernel/debug/iaa_cost/result until rmmod:
 *   cost name=NAME ns=NS
 * Init fails only when there is no IAA device or no memory.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bottom_half.h>
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/percpu-refcount.h>
#include <linux/sbitmap.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

static uint loops = 2000;
module_param(loops, uint, 0444);
MODULE_PARM_DESC(loops, "iterations of each primitive");

#define RESULT_SIZE	4096

static char *result;
static size_t result_len;
static struct dentry *dir;

static DEFINE_PER_CPU(unsigned long, cost_counter);

static void cost_ref_release(struct percpu_ref *ref)
{
}

static void add(const char *name, u64 ns)
{
	result_len += scnprintf(result + result_len, RESULT_SIZE - result_len,
				"cost name=%s ns=%llu\n", name, ns);
}

/* Time @body over @loops iterations, less the empty loop's @base per iteration */
#define COST(name, base, body) do {						\
	u64 t0_ = ktime_get_ns();						\
	unsigned int i_;							\
										\
	for (i_ = 0; i_ < loops; i_++) {					\
		body;								\
	}									\
	add(name, div_u64(ktime_get_ns() - t0_, loops) - (base));		\
} while (0)

static ssize_t result_read(struct file *f, char __user *buf, size_t n, loff_t *pos)
{
	return simple_read_from_buffer(buf, n, pos, result, result_len);
}

static const struct file_operations result_fops = {
	.owner = THIS_MODULE,
	.read = result_read,
	.llseek = default_llseek,
};

static void measure(struct device *dev, struct page *page, struct sbitmap *sb,
		    struct percpu_ref *ref)
{
	struct scatterlist sg;
	dma_addr_t a;
	u64 t0, base;
	unsigned int i;
	int nr;

	t0 = ktime_get_ns();
	for (i = 0; i < loops; i++)
		barrier();
	base = div_u64(ktime_get_ns() - t0, loops);

	COST("ktime_get_ns", base, (void)ktime_get_ns());
	COST("dma_map_page+unmap.to_device", base,
	     a = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);
	     dma_unmap_page(dev, a, PAGE_SIZE, DMA_TO_DEVICE));
	COST("dma_map_page+unmap.from_device", base,
	     a = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	     dma_unmap_page(dev, a, PAGE_SIZE, DMA_FROM_DEVICE));
	COST("dma_map_page+unmap.bidirectional", base,
	     a = dma_map_page(dev, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	     dma_unmap_page(dev, a, PAGE_SIZE, DMA_BIDIRECTIONAL));
	sg_init_table(&sg, 1);
	sg_set_page(&sg, page, PAGE_SIZE, 0);
	COST("dma_map_sg+unmap.to_device", base,
	     dma_map_sg(dev, &sg, 1, DMA_TO_DEVICE);
	     dma_unmap_sg(dev, &sg, 1, DMA_TO_DEVICE));
	COST("sbitmap_get+put", base, nr = sbitmap_get(sb); sbitmap_put(sb, nr));
	COST("percpu_ref_tryget_live+put", base,
	     nr = percpu_ref_tryget_live(ref); percpu_ref_put(ref));
	COST("this_cpu_xchg+cmpxchg", base,
	     (void)this_cpu_cmpxchg(cost_counter, this_cpu_xchg(cost_counter, 0), 1));
	COST("rcu_read_lock+unlock", base, rcu_read_lock(); rcu_read_unlock());
	COST("local_bh_disable+enable", base, local_bh_disable(); local_bh_enable());
	COST("memset.64", base, memset(page_address(page), 0, 64); barrier());
	COST("memcpy.4096", base,
	     memcpy(page_address(page), page_address(page + 1), PAGE_SIZE); barrier());
}

static int __init iaa_cost_init(void)
{
	struct pci_dev *pdev = pci_get_device(PCI_VENDOR_ID_INTEL, 0x0cfe, NULL);
	struct percpu_ref ref;
	struct sbitmap sb;
	struct page *page;
	int ret = -ENOMEM;

	if (!pdev) {
		pr_err("no IAA device\n");
		return -ENODEV;
	}
	result = kzalloc(RESULT_SIZE, GFP_KERNEL);
	page = alloc_pages(GFP_KERNEL, 1);
	if (!result || !page)
		goto out;
	if (sbitmap_init_node(&sb, 128, -1, GFP_KERNEL, NUMA_NO_NODE, false, true))
		goto out;
	if (percpu_ref_init(&ref, cost_ref_release, 0, GFP_KERNEL)) {
		sbitmap_free(&sb);
		goto out;
	}

	measure(&pdev->dev, page, &sb, &ref);

	percpu_ref_exit(&ref);
	sbitmap_free(&sb);
	dir = debugfs_create_dir("iaa_cost", NULL);
	debugfs_create_file("result", 0400, dir, NULL, &result_fops);
	ret = 0;
out:
	if (page)
		__free_pages(page, 1);
	if (ret)
		kfree(result);
	pci_dev_put(pdev);
	return ret;
}

static void __exit iaa_cost_exit(void)
{
	debugfs_remove_recursive(dir);
	kfree(result);
}

module_init(iaa_cost_init);
module_exit(iaa_cost_exit);
MODULE_DESCRIPTION("Cost of the kernel primitives of an IAA request, under icount");
MODULE_LICENSE("GPL");

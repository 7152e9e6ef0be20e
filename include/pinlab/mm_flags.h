/* mm_flags.h - GUP flags and writeback sync modes shared by the model and the litmus front end. */
#ifndef PINLAB_MM_FLAGS_H
#define PINLAB_MM_FLAGS_H

#define FOLL_WRITE	0x01	/* check the PTE is writable, fault for write */
#define FOLL_GET	0x02	/* take a plain reference */
#define FOLL_PIN	0x04	/* take a pin (pin_user_pages) */
#define FOLL_LONGTERM	0x08	/* the pin may be held indefinitely */

#define GUP_PIN_COUNTING_BIAS	1024	/* refcount added per pin (mainline) */

enum writeback_sync_modes {
	WB_SYNC_NONE,		/* cleaning: don't wait on anything */
	WB_SYNC_ALL,		/* integrity: wait on every page under writeback */
};

#endif /* PINLAB_MM_FLAGS_H */

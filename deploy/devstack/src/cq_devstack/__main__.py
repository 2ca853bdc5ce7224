from cq_devstack.cli import main

raise SystemExit(main())

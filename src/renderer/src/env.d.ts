/// <reference types="vite/client" />
import '../../preload/bridge'

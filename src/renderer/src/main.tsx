import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { client } from './api/client'
import { SignIn } from './shell/SignIn'
import './app.css'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {client.transport === 'http' ? (
      <SignIn>
        <App />
      </SignIn>
    ) : (
      <App />
    )}
  </StrictMode>,
)

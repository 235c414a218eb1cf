import { Placeholder } from './Placeholder';

export default function Lookup() {
  return <Placeholder label="dashboard" />;
}

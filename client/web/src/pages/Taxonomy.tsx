import { Placeholder } from './Placeholder';

export default function Taxonomy() {
  return <Placeholder label="dashboard" />;
}
